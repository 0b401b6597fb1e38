@NullMarked
package dev.dilxc.client.schedules;

import org.jspecify.annotations.NullMarked;
