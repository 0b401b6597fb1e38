package dev.dilxc.api;

/** Where a long sandbox operation ({@code init}, {@code update}) is. */
public enum OperationState {

	RUNNING, SUCCEEDED, FAILED;

	public boolean isTerminal() {
		return this != RUNNING;
	}

}
