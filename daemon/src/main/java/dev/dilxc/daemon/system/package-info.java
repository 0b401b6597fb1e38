@NullMarked
package dev.dilxc.daemon.system;

import org.jspecify.annotations.NullMarked;
