@NullMarked
package dev.dilxc.daemon.sandboxes;

import org.jspecify.annotations.NullMarked;
