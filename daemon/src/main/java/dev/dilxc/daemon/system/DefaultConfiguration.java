package dev.dilxc.daemon.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The commented default settings file ({@code dilxc-daemon --print-default-config}, which
 * {@code deploy/install.sh} writes to {@code ~/.config/dilxc/application.yml}): every
 * {@code dilxc.*} key of the configuration metadata the build generates from the settings
 * records, commented out with its default and meaning. Keys are flat
 * ({@code dilxc.jobs.default-timeout: 2h}, valid YAML that Spring reads like nested keys)
 * so that uncommenting one line sets one setting.
 */
public final class DefaultConfiguration {

	static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@:+-][A-Za-z0-9_./@:+ -]*");

	private DefaultConfiguration() {
	}

	/**
	 * Every documented dilxc.* setting of this build: name, type, default (null when
	 * none), meaning.
	 */
	record Setting(String name, String type, @Nullable String defaultValue, String description) {
	}

	static List<Setting> settings() {
		ClassPathResource resource = new ClassPathResource(METADATA);
		List<Setting> settings = new ArrayList<>();
		try (InputStream in = resource.getInputStream()) {
			for (JsonNode property : JsonMapper.shared().readTree(in).path("properties")) {
				String name = property.path("name").asString();
				if (!name.startsWith("dilxc.")) {
					continue;
				}
				settings.add(new Setting(name, property.path("type").asString(""),
						defaultValue(property.get("defaultValue")), plain(property.path("description").asString(""))));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"cannot read " + METADATA + " (was the daemon built with the configuration processor?)", ex);
		}
		settings.sort(Comparator.comparing(Setting::name));
		return settings;
	}

	/** The whole file. */
	public static String render() {
		StringBuilder out = new StringBuilder();
		out.append("""
				# dilxc daemon settings, read at every start of the daemon from this file:
				#   $XDG_CONFIG_HOME/dilxc/application.yml, else ~/.config/dilxc/application.yml.
				# Every setting is commented out with its default: uncomment a line and change its value, then restart
				# the daemon (systemctl --user restart dilxc, or deploy/install.sh again where systemd does not run).
				# A bad value stops the daemon at start with the key, this file's line and the fix (journalctl --user
				# -u dilxc, or ~/.local/state/dilxc/daemon.log).
				#
				# What wins, strongest first: arguments (dilxc-daemon --dilxc.jobs.max-concurrent-jobs=3), environment
				# variables (DILXC_JOBS_MAX_CONCURRENT_JOBS=3), the file $DILXC_CONFIG names, this file, the defaults.
				# Durations: 500ms, 30s, 5m, 2h, 7d. Sizes: 512KB, 64MB. Lists: comma-separated.
				# Where the daemon keeps its database and socket is set by the environment only, not here:
				# DILXC_DATA_DIR (else $XDG_DATA_HOME/dilxc, else ~/.local/share/dilxc) and DILXC_SOCKET (else
				# $XDG_RUNTIME_DIR/dilxc/daemon.sock, else ~/.local/state/dilxc/daemon.sock).
				# This file may hold secrets (webhook headers): keep it private (mode 0600).
				""");
		String group = null;
		for (Setting setting : settings()) {
			String settingGroup = setting.name().substring(0, setting.name().lastIndexOf('.'));
			if (!settingGroup.equals(group)) {
				group = settingGroup;
				out.append("\n# ---- ").append(group).append(" ----\n");
			}
			out.append('\n');
			for (String line : wrap(capitalised(setting.description()), 100)) {
				out.append("# ").append(line).append('\n');
			}
			if (setting.defaultValue() == null) {
				out.append("# No default: unset means none.").append(example(setting)).append('\n');
				out.append('#').append(setting.name()).append(":\n");
			}
			else {
				out.append('#').append(setting.name()).append(": ").append(yaml(setting.defaultValue())).append('\n');
			}
		}
		out.append(
				"""

						# ---- logging ----

						# How much the daemon logs (to the journal, or ~/.local/state/dilxc/daemon.log): TRACE, DEBUG, INFO, WARN.
						#logging.level.dev.dilxc: INFO
						""");
		return out.toString();
	}

	private static String example(Setting setting) {
		if (setting.type().startsWith("java.util.Map")) {
			return " E.g. " + setting.name() + ".Authorization: Bearer <token>";
		}
		if (setting.type().startsWith("java.util.List")) {
			return " Comma-separated.";
		}
		return "";
	}

	private static @Nullable String defaultValue(@Nullable JsonNode value) {
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isArray()) {
			return String.join(",", value.valueStream().map(JsonNode::asString).toList());
		}
		return value.asString();
	}

	/** A scalar as YAML reads it back as the same string: quoted unless plainly safe. */
	static String yaml(String value) {
		if (!value.isEmpty() && PLAIN.matcher(value).matches() && !value.endsWith(" ")) {
			return value;
		}
		return "'" + value.replace("'", "''") + "'";
	}

	private static String plain(String javadoc) {
		return javadoc.replaceAll("\\{@code ([^}]*)}", "$1").replaceAll("\\s+", " ").strip();
	}

	private static String capitalised(String text) {
		if (text.isEmpty()) {
			return text;
		}
		String sentence = Character.toUpperCase(text.charAt(0)) + text.substring(1);
		return sentence.endsWith(".") ? sentence : sentence + ".";
	}

	private static List<String> wrap(String text, int width) {
		List<String> lines = new ArrayList<>();
		StringBuilder line = new StringBuilder();
		for (String word : text.split(" ")) {
			if (line.length() > 0 && line.length() + 1 + word.length() > width) {
				lines.add(line.toString());
				line.setLength(0);
			}
			if (line.length() > 0) {
				line.append(' ');
			}
			line.append(word);
		}
		if (line.length() > 0) {
			lines.add(line.toString());
		}
		return lines;
	}

}
