@NullMarked
package dev.dilxc.daemon.leases;

import org.jspecify.annotations.NullMarked;
