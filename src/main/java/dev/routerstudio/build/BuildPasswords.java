package dev.routerstudio.build;

import dev.routerstudio.profile.ProfileJson;
import dev.routerstudio.profile.ProfileService;
import dev.routerstudio.profile.ProfileSpec;
import dev.routerstudio.security.SecretBox;
import org.springframework.stereotype.Component;

/**
 * The WAN password of a build. A queued build's spec snapshot carries no secrets, so the
 * profile's password is taken when the build starts; it is kept sealed with the build, so its
 * lab's ISP peer accepts exactly what the firmware sends.
 */
@Component
class BuildPasswords {

    private final ProfileService profiles;
    private final SecretBox secrets;

    BuildPasswords(ProfileService profiles, SecretBox secrets) {
        this.profiles = profiles;
        this.secrets = secrets;
    }

    /** The spec to build: the snapshot taken at submit, with the profile's current password. */
    ProfileSpec specToBuild(Build build) {
        ProfileSpec snapshot = ProfileJson.read(build.getSpecJson());
        if (!profiles.exists(build.getProfileName())) {
            throw new IllegalStateException("profile '" + build.getProfileName() + "' was deleted before the build started");
        }
        String password = profiles.specWithSecrets(build.getProfileName()).wanPassword();
        return password == null ? snapshot : snapshot.withWan(snapshot.wan().withPassword(password));
    }

    String seal(String password) {
        return secrets.seal(password);
    }

    String opened(Build build) {
        return secrets.open(build.getSealedPassword());
    }
}
