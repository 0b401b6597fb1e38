@NullMarked
package dev.dilxc.daemon;

import org.jspecify.annotations.NullMarked;
