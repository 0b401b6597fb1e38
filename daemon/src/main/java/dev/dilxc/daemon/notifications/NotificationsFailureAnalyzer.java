package dev.dilxc.daemon.notifications;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * A bad notification setting stops the daemon with Boot's short "what went wrong / what
 * to do" report, ahead of Boot's generic binding report (which would print the offending
 * value: a URL or header may be a secret).
 */
final class NotificationsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidNotificationSettingsException>
		implements Ordered {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidNotificationSettingsException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
