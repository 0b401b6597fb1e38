@NullMarked
package dev.dilxc.client.render;

import org.jspecify.annotations.NullMarked;
