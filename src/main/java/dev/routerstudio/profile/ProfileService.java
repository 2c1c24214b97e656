package dev.routerstudio.profile;

import dev.routerstudio.profile.ProfileValidator.Secrets;
import dev.routerstudio.security.SecretBox;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;

/**
 * Everything that can be done to profiles, for the API and the pages alike. Every write
 * validates the whole spec first and stores nothing unless all of it is valid.
 */
@Service
public class ProfileService {

    private final ProfileRepository repository;
    private final SecretBox secrets;

    public ProfileService(ProfileRepository repository, SecretBox secrets) {
        this.repository = repository;
        this.secrets = secrets;
    }

    /** The spec with its password, for the pipeline and the labs; never for a page or an API response. */
    @Transactional(readOnly = true)
    public ProfileSpec specWithSecrets(String name) {
        return withSecrets(get(name));
    }

    private ProfileSpec withSecrets(Profile profile) {
        ProfileSpec spec = profile.spec();
        String password = secrets.open(profile.getSealedPassword());
        return password == null ? spec : spec.withWan(spec.wan().withPassword(password));
    }

    @Transactional(readOnly = true)
    public List<Profile> list() {
        return repository.findAllByOrderByNameAsc();
    }

    @Transactional(readOnly = true)
    public Profile get(String name) {
        return repository.findByName(name).orElseThrow(() -> new ProfileNotFoundException(name));
    }

    @Transactional(readOnly = true)
    public boolean exists(String name) {
        return repository.existsByName(name);
    }

    /** Creates a profile; the PPP password is required. */
    @Transactional
    public Profile create(ProfileSpec spec) {
        return insert(spec, Secrets.REQUIRED);
    }

    /**
     * Creates a profile from an export. Exports carry no secrets, so a PPP password may be
     * missing: the profile is saved and the page asks for it before a build.
     */
    @Transactional
    public Profile importProfile(ProfileSpec spec) {
        return insert(spec, Secrets.OPTIONAL);
    }

    /** Creates a copy under a new name, keeping the source's password unless a new one is given. */
    @Transactional
    public Profile cloneProfile(String sourceName, ProfileSpec spec) {
        Profile source = get(sourceName);
        return insert(keepPassword(spec, source), Secrets.REQUIRED);
    }

    private Profile insert(ProfileSpec spec, Secrets rule) {
        throwIfInvalid(spec, rule);
        if (repository.existsByName(spec.name())) {
            throw new ProfileConflictException("name", "a profile named '" + spec.name() + "' already exists — pick another name or edit that one");
        }
        Profile profile = new Profile(spec.name());
        ProfileSpec normalized = ProfileJson.normalize(spec);
        profile.apply(normalized, secrets.seal(normalized.wanPassword()));
        try {
            return repository.saveAndFlush(profile);
        } catch (DataIntegrityViolationException e) {
            throw new ProfileConflictException("name", "a profile named '" + spec.name() + "' already exists — pick another name or edit that one");
        }
    }

    /**
     * Replaces a profile's spec. A missing password keeps the stored one (passwords are
     * write-only). expectedVersion, when given, must match or nothing changes.
     */
    @Transactional
    public Profile update(String name, ProfileSpec spec, Long expectedVersion) {
        Profile profile = get(name);
        if (spec != null && spec.name() != null && !spec.name().equals(name)) {
            throw new ProfileValidationException(List.of(new Violation("name",
                    "must stay '" + name + "' — a profile keeps its name; clone it to use another")));
        }
        if (expectedVersion != null && expectedVersion != profile.getVersion()) {
            throw new ProfileConflictException("version", "the profile changed meanwhile (now version " + profile.getVersion()
                    + ", you edited version " + expectedVersion + ") — reload it and apply your change again");
        }
        ProfileSpec merged = keepPassword(spec, profile);
        throwIfInvalid(merged, Secrets.REQUIRED);
        ProfileSpec normalized = ProfileJson.normalize(merged);
        profile.apply(normalized, secrets.seal(normalized.wanPassword()));
        return repository.saveAndFlush(profile);
    }

    @Transactional
    public void delete(String name) {
        repository.delete(get(name));
    }

    /** Canonical JSON of a profile, without its password unless asked for explicitly. */
    @Transactional(readOnly = true)
    public String export(String name, boolean includeSecrets) {
        Profile profile = get(name);
        return ProfileJson.write(includeSecrets ? withSecrets(profile) : profile.spec());
    }

    private ProfileSpec keepPassword(ProfileSpec spec, Profile stored) {
        if (spec == null || spec.wan() == null || spec.wanPassword() != null && !spec.wanPassword().isEmpty()) {
            return spec;
        }
        if (spec.wan().hasPassword() && stored.getSealedPassword() != null) {
            return spec.withWan(spec.wan().withPassword(secrets.open(stored.getSealedPassword())));
        }
        return spec;
    }

    private static void throwIfInvalid(ProfileSpec spec, Secrets secrets) {
        List<Violation> violations = ProfileValidator.validate(spec, secrets);
        if (!violations.isEmpty()) {
            throw new ProfileValidationException(violations);
        }
    }
}
