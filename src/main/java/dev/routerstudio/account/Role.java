package dev.routerstudio.account;

/**
 * What an account may do. Each role includes the ones below it.
 * VIEWER reads everything but secrets; BUILDER edits profiles, builds, boots labs and types into
 * consoles; ADMIN also manages accounts and everyone's tokens.
 */
public enum Role {
    VIEWER, BUILDER, ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
