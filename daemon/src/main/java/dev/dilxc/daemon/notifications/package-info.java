@NullMarked
package dev.dilxc.daemon.notifications;

import org.jspecify.annotations.NullMarked;
