@NullMarked
package dev.dilxc.daemon.lxd;

import org.jspecify.annotations.NullMarked;
