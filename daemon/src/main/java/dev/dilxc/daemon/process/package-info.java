/**
 * The one way the daemon starts a child process: argv lists, stdin given or empty, stdout
 * and stderr kept apart, and one deadline that covers writing stdin, reading the output
 * and waiting; a process that outlives it is killed with its children and reported. Built
 * on zt-exec. Uses no feature of the daemon.
 */
@NullMarked
package dev.dilxc.daemon.process;

import org.jspecify.annotations.NullMarked;
