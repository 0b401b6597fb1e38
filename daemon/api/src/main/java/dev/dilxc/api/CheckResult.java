package dev.dilxc.api;

import org.jspecify.annotations.Nullable;

/**
 * One check of {@code health-check}, {@code git-auth} or {@code doctor}.
 *
 * @param name what was checked, e.g. {@code Docker}
 * @param ok whether it passed
 * @param detail what was found, e.g. {@code ok (2 identities available)} or the error
 * @param fix what to do about a failure, or null
 */
public record CheckResult(String name, boolean ok, String detail, @Nullable String fix) {
}
