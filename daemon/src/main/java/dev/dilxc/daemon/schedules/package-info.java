@NullMarked
package dev.dilxc.daemon.schedules;

import org.jspecify.annotations.NullMarked;
