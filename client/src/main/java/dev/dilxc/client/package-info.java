@NullMarked
package dev.dilxc.client;

import org.jspecify.annotations.NullMarked;
