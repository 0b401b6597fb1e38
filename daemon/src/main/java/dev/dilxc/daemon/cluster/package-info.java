/**
 * The store the history lives in (H2, one daemon; PostgreSQL, one or several) and the
 * daemons sharing it: each daemon run registers, beats a heartbeat on the database's
 * clock, and tells which of the others are dead, so that exactly one live daemon settles
 * a dead one's jobs.
 */
@NullMarked
package dev.dilxc.daemon.cluster;

import org.jspecify.annotations.NullMarked;
