package dev.dilxc.client;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.dilxc.api.DaemonSocket;
import dev.dilxc.client.daemon.DaemonClient;
import dev.dilxc.client.daemon.UnixSocketHttpClient;
import dev.dilxc.client.jobs.LogFollower;
import dev.dilxc.client.sandboxes.HostEnvironment;
import dev.dilxc.client.shell.ArgvParser;
import dev.dilxc.client.shell.ClientErrors;
import dev.dilxc.client.shell.ClientRunner;
import dev.dilxc.client.shell.ConsoleShellRunner;
import dev.dilxc.client.shell.OneShotRunner;
import dev.dilxc.client.shell.StandardStreams;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.shell.core.command.CommandRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code dilxc-client}: with arguments, runs that one command and exits with its code
 * ({@link ExitCodes}); without, an interactive shell.
 *
 * <p>
 * A Spring Boot application with explicit wiring and no auto-configuration: the client is
 * a short-lived command, and Spring Shell 4.0.1's auto-configured runners do not fit it
 * (the one-shot runner re-splits the arguments and never sets an exit code; building its
 * registry starts Hibernate Validator). So the client wires Spring Shell's command model
 * ({@code AbstractCommand}, {@code CommandRegistry}, {@code ExitStatus},
 * {@code ExitStatusExceptionMapper}, {@code InteractiveShellRunner}) with its own parser
 * and runners. Boot's logging goes to stderr at WARN; stdout carries command output only.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
public class ClientApplication {

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/** Runs the client for {@code args} and returns the process exit code. */
	public static int run(String[] args) {
		SpringApplication application = new SpringApplication(ClientApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.setLazyInitialization(true);
		application.setRegisterShutdownHook(false);
		application.setDefaultProperties(Map.of("logging.level.root", "warn", "spring.config.name", "dilxc-client"));
		// The arguments are the command line of the client, not Boot configuration: they
		// go to the
		// runner untouched, and Boot sees none (a prompt like "--debug" stays a prompt).
		application.addInitializers(context -> context.getBeanFactory()
			.registerSingleton("clientArguments", new ClientArguments(List.of(args))));
		try {
			ConfigurableApplicationContext context = application.run();
			return SpringApplication.exit(context);
		}
		catch (SpringApplication.AbandonedRunException ex) {
			// build-time Spring AOT processing stops the run once the context is prepared
			throw ex;
		}
		catch (RuntimeException | LinkageError ex) {
			System.err.println("dilxc-client: could not start: " + ex + " (set " + ClientErrors.DEBUG_ENV
					+ "=1 for the stack trace)");
			if (System.getenv(ClientErrors.DEBUG_ENV) != null) {
				ex.printStackTrace();
			}
			return ExitCodes.INTERNAL_ERROR;
		}
	}

	@Bean
	StandardStreams standardStreams() {
		return StandardStreams.system();
	}

	@Bean
	ClientErrors clientErrors(StandardStreams streams) {
		return ClientErrors.fromEnvironment(streams.err());
	}

	@Bean
	JsonMapper jsonMapper() {
		return ClientCommands.jsonMapper();
	}

	@Bean
	DaemonClient daemonClient(JsonMapper json) {
		return new DaemonClient(new UnixSocketHttpClient(DaemonSocket.resolve()), json);
	}

	@Bean
	CommandRegistry commandRegistry(DaemonClient daemon, JsonMapper json, StandardStreams streams,
			ClientErrors errors) {
		return ClientCommands.registry(daemon, json, streams, errors, Clock.systemDefaultZone(),
				LogFollower.POLL_INTERVAL, HostEnvironment.system());
	}

	@Bean
	ArgvParser commandParser(CommandRegistry registry) {
		return new ArgvParser(registry);
	}

	@Bean
	ClientRunner clientRunner(ClientArguments arguments, ArgvParser parser, CommandRegistry registry,
			ClientErrors errors, StandardStreams streams, DaemonClient daemon) {
		return new ClientRunner(arguments.argv(), new OneShotRunner(parser, registry, errors, streams), () -> {
			warmUp(daemon);
			return new ConsoleShellRunner(parser, registry, streams);
		});
	}

	/**
	 * While the user types the shell's first line: one read-only request through the
	 * socket, JSON and job classes, so the first command answers as fast as the next ones
	 * (~70 ms → a few ms). Its result and failure are dropped: the real command says what
	 * is wrong.
	 */
	private static void warmUp(DaemonClient daemon) {
		Thread.ofPlatform().daemon().name("dilxc-warm-up").start(() -> {
			try {
				daemon.jobs(null, null, 1);
			}
			catch (RuntimeException ex) {
				// not running, or not reachable: nothing to warm up
			}
		});
	}

	/** The program arguments, kept out of Spring Boot's hands. */
	record ClientArguments(List<String> argv) {
	}

}
