package dev.routerstudio.profile;

/** A WAN mode that logs in over PPP with a username and a (write-only) password. */
public interface PppLogin {
    String username();

    String password();
}
