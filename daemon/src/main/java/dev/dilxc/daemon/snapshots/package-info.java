@NullMarked
package dev.dilxc.daemon.snapshots;

import org.jspecify.annotations.NullMarked;
