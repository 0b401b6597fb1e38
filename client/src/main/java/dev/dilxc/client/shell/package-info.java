@NullMarked
package dev.dilxc.client.shell;

import org.jspecify.annotations.NullMarked;
