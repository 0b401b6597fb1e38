@NullMarked
package dev.dilxc.client.completion;

import org.jspecify.annotations.NullMarked;
