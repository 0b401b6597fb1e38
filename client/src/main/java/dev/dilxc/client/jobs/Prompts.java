package dev.dilxc.client.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import dev.dilxc.client.shell.CommandInput;
import dev.dilxc.client.shell.UsageException;

/**
 * Prompts as commands take them: from {@code --prompt-file PATH|-}, or from the words of
 * the command line.
 */
public final class Prompts {

	private Prompts() {
	}

	/**
	 * The prompt of a {@code COMMAND [OPTIONS] PROMPT...} line: {@code --prompt-file}
	 * (UTF-8, {@code -} for stdin), else the words joined with single spaces.
	 * @param usage how to give one, for the message when there is none
	 * ({@code dilxc-client schedule add ...})
	 */
	public static String fromWordsOrFile(CommandInput input, List<String> words, InputStream stdin, String usage) {
		String file = input.option("prompt-file");
		String prompt;
		if (file != null) {
			if (!words.isEmpty()) {
				throw new UsageException("give the prompt as words or with --prompt-file, not both");
			}
			prompt = read(file, stdin);
		}
		else {
			prompt = String.join(" ", words);
		}
		if (prompt.isBlank()) {
			throw new UsageException(((file != null) ? "the prompt is empty" : "missing prompt")
					+ "; say what the agent should do: " + usage);
		}
		return prompt;
	}

	/** The file's text, which must be UTF-8; {@code -} reads {@code stdin}. */
	public static String read(String file, InputStream stdin) {
		byte[] bytes;
		String name = file.equals("-") ? "stdin" : "'" + file + "'";
		try {
			bytes = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
		}
		catch (NoSuchFileException ex) {
			throw new UsageException("cannot read --prompt-file " + name + ": no such file", ex);
		}
		catch (AccessDeniedException ex) {
			throw new UsageException("cannot read --prompt-file " + name + ": permission denied", ex);
		}
		catch (IOException | InvalidPathException ex) {
			throw new UsageException("cannot read --prompt-file " + name + ": " + ex.getMessage(), ex);
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new UsageException("--prompt-file " + name + " is not UTF-8 text", ex);
		}
	}

}
