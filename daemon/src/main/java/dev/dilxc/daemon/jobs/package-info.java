@NullMarked
package dev.dilxc.daemon.jobs;

import org.jspecify.annotations.NullMarked;
