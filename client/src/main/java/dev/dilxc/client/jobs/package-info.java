@NullMarked
package dev.dilxc.client.jobs;

import org.jspecify.annotations.NullMarked;
