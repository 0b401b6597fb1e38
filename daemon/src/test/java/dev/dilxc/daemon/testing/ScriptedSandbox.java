package dev.dilxc.daemon.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real sandbox per test class wired to one {@link FakeAnthropicApi}: both started
 * before the class's own {@code @BeforeAll} methods (so they can prepare the sandbox),
 * the API's script reset before each test, both closed after the class's
 * {@code @AfterAll} methods. Register it on a static field:
 * {@code @RegisterExtension static final ScriptedSandbox agent = new ScriptedSandbox("dilxc-it", API_KEY);}.
 * Spring's {@code @DynamicPropertySource} suppliers may read
 * {@code agent.sandbox().name()}: they are evaluated when the context loads, which is
 * after every before-all callback.
 */
public final class ScriptedSandbox implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

	private final String prefix;

	private final String apiKey;

	private final boolean systemd;

	private FakeAnthropicApi api;

	private TestSandbox sandbox;

	/** A sandbox with systemd as PID 1, as {@link TestSandbox#launch} makes. */
	public ScriptedSandbox(String prefix, String apiKey) {
		this(prefix, apiKey, true);
	}

	private ScriptedSandbox(String prefix, String apiKey, boolean systemd) {
		this.prefix = prefix;
		this.apiKey = apiKey;
		this.systemd = systemd;
	}

	/**
	 * A sandbox without systemd as PID 1, as {@link TestSandbox#launchWithoutSystemd}
	 * makes.
	 */
	public static ScriptedSandbox withoutSystemd(String prefix, String apiKey) {
		return new ScriptedSandbox(prefix, apiKey, false);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.api = FakeAnthropicApi.start();
		this.sandbox = this.systemd ? TestSandbox.launch(this.prefix, this.api, this.apiKey)
				: TestSandbox.launchWithoutSystemd(this.prefix, this.api, this.apiKey);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		api().reset();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		// The API outlives the sandbox, as the sandbox's proxy device points at it.
		try {
			if (this.sandbox != null) {
				this.sandbox.close();
			}
		}
		finally {
			this.sandbox = null;
			if (this.api != null) {
				this.api.close();
			}
			this.api = null;
		}
	}

	public FakeAnthropicApi api() {
		if (this.api == null) {
			throw new IllegalStateException(
					"no fake API: register ScriptedSandbox on a static @RegisterExtension field");
		}
		return this.api;
	}

	public TestSandbox sandbox() {
		if (this.sandbox == null) {
			throw new IllegalStateException(
					"no sandbox: register ScriptedSandbox on a static @RegisterExtension field");
		}
		return this.sandbox;
	}

}
