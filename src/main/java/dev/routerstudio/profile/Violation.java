package dev.routerstudio.profile;

/** One thing wrong with a profile: the field path as the API spells it, and what to do about it. */
public record Violation(String field, String message) {
}
