package dev.routerstudio.account;

/** An account or token request that cannot be done, with the field it concerns. */
public class AccountException extends RuntimeException {

    private final String field;

    public AccountException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
