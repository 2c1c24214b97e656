package dev.routerstudio.profile;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A stored profile. The spec is kept as canonical JSON; columns beside it serve listing and secrets. */
@Entity
@Table(name = "profile")
public class Profile {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 63)
    private String name;

    /** 1 when created, plus one on every change; clients send it back as If-Match. */
    @Column(nullable = false)
    private long version;

    private String description;

    @Column(nullable = false)
    private String hostname;

    @Column(name = "wan_mode", nullable = false)
    private String wanMode;

    @Column(name = "spec_json", nullable = false)
    private String specJson;

    @Column(name = "wan_password")
    private String wanPassword;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Profile() {
    }

    public Profile(String name) {
        this.name = name;
        this.createdAt = Instant.now();
    }

    /** Stores a validated, normalised spec; the sealed password goes to its own column, not the JSON. */
    void apply(ProfileSpec spec, String sealedPassword) {
        this.description = spec.description();
        this.hostname = spec.hostname();
        this.wanMode = spec.wan().mode();
        this.wanPassword = sealedPassword;
        this.specJson = ProfileJson.write(spec.withoutSecrets());
        this.updatedAt = Instant.now();
        this.version++;
    }

    /** The spec without secrets. */
    public ProfileSpec spec() {
        return ProfileJson.read(specJson);
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public long getVersion() {
        return version;
    }

    public String getDescription() {
        return description;
    }

    public String getHostname() {
        return hostname;
    }

    public String getWanMode() {
        return wanMode;
    }

    public String getSpecJson() {
        return specJson;
    }

    public boolean isPasswordSet() {
        return wanPassword != null;
    }

    /** The password as stored: sealed by {@link dev.routerstudio.security.SecretBox}. */
    public String getSealedPassword() {
        return wanPassword;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
