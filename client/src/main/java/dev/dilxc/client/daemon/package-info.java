@NullMarked
package dev.dilxc.client.daemon;

import org.jspecify.annotations.NullMarked;
