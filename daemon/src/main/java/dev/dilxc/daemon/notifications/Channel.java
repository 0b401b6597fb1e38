package dev.dilxc.daemon.notifications;

/**
 * How a notification travels; each finished job gets one outbox row per configured
 * channel.
 */
enum Channel {

	WEBHOOK, COMMAND

}
