package dev.dilxc.client.shell;

import java.util.List;
import java.util.function.Supplier;

import dev.dilxc.client.ExitCodes;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.shell.core.ShellRunner;

/**
 * Decides between the two modes once the context is up: no arguments, the interactive
 * shell; any arguments, exactly that one command. Its {@link #getExitCode() exit code} is
 * what {@link org.springframework.boot.SpringApplication#exit} hands to
 * {@code System.exit}.
 *
 * <p>
 * The arguments come from {@code ClientApplication} as given on the command line, not
 * from {@link ApplicationArguments}: the client keeps them away from Spring Boot, so a
 * prompt such as {@code --spring.main.banner-mode=console} is a prompt, not
 * configuration.
 */
public final class ClientRunner implements ApplicationRunner, ExitCodeGenerator {

	private final List<String> argv;

	private final OneShotRunner oneShot;

	private final Supplier<ShellRunner> interactive;

	private int exitCode = ExitCodes.INTERNAL_ERROR;

	public ClientRunner(List<String> argv, OneShotRunner oneShot, Supplier<ShellRunner> interactive) {
		this.argv = argv;
		this.oneShot = oneShot;
		this.interactive = interactive;
	}

	@Override
	public void run(ApplicationArguments ignored) throws Exception {
		if (this.argv.isEmpty()) {
			this.interactive.get().run(new String[0]);
			this.exitCode = ExitCodes.OK;
		}
		else {
			this.exitCode = this.oneShot.run(this.argv);
		}
	}

	@Override
	public int getExitCode() {
		return this.exitCode;
	}

}
