package dev.routerstudio.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Accounts and personal API tokens. Passwords are stored as bcrypt hashes, tokens as sha256
 * (a token is 256 random bits, so a fast hash is enough and lookups stay cheap).
 */
@Service
public class AccountService implements UserDetailsService {

    public static final String ADMIN = "admin";
    static final String TOKEN_PREFIX = "rs_";
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int MIN_PASSWORD = 10;
    private static final Logger log = LoggerFactory.getLogger(AccountService.class);

    private final AccountRepository accounts;
    private final ApiTokenRepository tokens;
    private final PasswordEncoder encoder;
    private final SecureRandom random = new SecureRandom();

    public AccountService(AccountRepository accounts, ApiTokenRepository tokens, PasswordEncoder encoder) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.encoder = encoder;
    }

    /** A new token, shown to its owner once. */
    public record IssuedToken(ApiToken token, String secret) {
    }

    /**
     * The first admin: with studio.admin-password set, the admin account has that password;
     * otherwise one is generated on the very first start and printed once in the log.
     */
    @Transactional
    public void ensureAdmin(String configured) {
        Optional<Account> admin = accounts.findByUsername(ADMIN);
        if (!configured.isBlank()) {
            if (admin.isEmpty()) {
                accounts.save(new Account(ADMIN, encoder.encode(configured), Role.ADMIN));
            } else if (!encoder.matches(configured, admin.get().getPasswordHash())) {
                admin.get().setPasswordHash(encoder.encode(configured));
            }
            return;
        }
        if (admin.isEmpty() && accounts.count() == 0) {
            String generated = randomText(18);
            accounts.save(new Account(ADMIN, encoder.encode(generated), Role.ADMIN));
            log.warn("\n\n  Router Studio created the account 'admin' with the password: {}\n"
                    + "  It is shown only this once. Log in at /login and change it under Account,\n"
                    + "  or set STUDIO_ADMIN_PASSWORD.\n", generated);
        }
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        Account a = accounts.findByUsername(username).orElseThrow(() -> new UsernameNotFoundException("no such account"));
        return User.withUsername(a.getUsername()).password(a.getPasswordHash())
                .authorities(new SimpleGrantedAuthority(a.getRole().authority())).disabled(!a.isEnabled()).build();
    }

    @Transactional(readOnly = true)
    public Account get(String username) {
        return accounts.findByUsername(username).orElseThrow(() -> new AccountException("username", "no account named '" + username + "'"));
    }

    @Transactional(readOnly = true)
    public List<Account> all() {
        return accounts.findAllByOrderByUsernameAsc();
    }

    @Transactional
    public Account create(String username, String password, Role role) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new AccountException("username", "must be 1–64 lowercase letters, digits, . _ or -, starting with a letter or digit");
        }
        checkPassword(password);
        if (role == null) {
            throw new AccountException("role", "must be one of VIEWER, BUILDER, ADMIN");
        }
        if (accounts.existsByUsername(username)) {
            throw new AccountException("username", "an account named '" + username + "' already exists");
        }
        return accounts.save(new Account(username, encoder.encode(password), role));
    }

    @Transactional
    public void changePassword(String username, String current, String next) {
        Account a = get(username);
        if (current == null || !encoder.matches(current, a.getPasswordHash())) {
            throw new AccountException("currentPassword", "is not your current password");
        }
        checkPassword(next);
        a.setPasswordHash(encoder.encode(next));
    }

    @Transactional
    public void update(String username, Role role, boolean enabled, String newPassword) {
        Account a = get(username);
        boolean demotesAdmin = a.getRole() == Role.ADMIN && (role != Role.ADMIN || !enabled);
        if (demotesAdmin && all().stream().filter(x -> x.getRole() == Role.ADMIN && x.isEnabled()).count() <= 1) {
            throw new AccountException("role", "'" + username + "' is the last enabled admin; make someone else admin first");
        }
        a.setRole(role);
        a.setEnabled(enabled);
        if (newPassword != null && !newPassword.isEmpty()) {
            checkPassword(newPassword);
            a.setPasswordHash(encoder.encode(newPassword));
        }
    }

    @Transactional
    public IssuedToken issueToken(String username, String name) {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new AccountException("name", "is required: 1–64 characters saying what the token is for, like ci-runner");
        }
        Account a = get(username);
        String secret = TOKEN_PREFIX + randomText(32);
        ApiToken token = tokens.save(new ApiToken(a, name.strip(), sha256(secret), secret.substring(0, 10)));
        return new IssuedToken(token, secret);
    }

    @Transactional(readOnly = true)
    public List<ApiToken> tokensOf(String username) {
        return tokens.findByAccountOrderByIdDesc(get(username));
    }

    @Transactional(readOnly = true)
    public List<ApiToken> allTokens() {
        return tokens.findAllByOrderByIdDesc();
    }

    /** Revokes a token of the actor's own, or anyone's when the actor is an admin. */
    @Transactional
    public void revokeToken(long id, String actor, boolean actorIsAdmin) {
        ApiToken t = tokens.findById(id).orElseThrow(() -> new AccountException("token", "no such token"));
        if (!actorIsAdmin && !t.getAccount().getUsername().equals(actor)) {
            throw new AccountException("token", "no such token");
        }
        t.revoke();
    }

    /** The account behind an active token of an enabled account. */
    @Transactional
    public Optional<Account> authenticateToken(String secret) {
        if (secret == null || !secret.startsWith(TOKEN_PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        return tokens.findByTokenHash(sha256(secret))
                .filter(ApiToken::isActive)
                .filter(t -> t.getAccount().isEnabled())
                .map(t -> {
                    t.used();
                    return t.getAccount();
                });
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
            throw new AccountException("password", "must be " + MIN_PASSWORD + "–200 characters");
        }
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
