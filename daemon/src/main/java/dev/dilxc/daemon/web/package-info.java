@NullMarked
package dev.dilxc.daemon.web;

import org.jspecify.annotations.NullMarked;
