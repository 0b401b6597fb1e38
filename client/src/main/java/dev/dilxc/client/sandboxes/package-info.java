@NullMarked
package dev.dilxc.client.sandboxes;

import org.jspecify.annotations.NullMarked;
