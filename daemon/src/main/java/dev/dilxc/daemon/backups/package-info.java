@NullMarked
package dev.dilxc.daemon.backups;

import org.jspecify.annotations.NullMarked;
