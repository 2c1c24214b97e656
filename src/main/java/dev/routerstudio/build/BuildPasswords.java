package dev.routerstudio.build;

import dev.routerstudio.profile.ProfileJson;
import dev.routerstudio.profile.ProfileService;
import dev.routerstudio.profile.ProfileSpec;
import org.springframework.stereotype.Component;

/**
 * The WAN password of a build. A queued build's spec snapshot carries no secrets, so the
 * profile's password is taken when the build starts. The build keeps no copy: its lab reads the
 * credentials from the bundle's lab.json, as the firmware has them.
 */
@Component
class BuildPasswords {

    private final ProfileService profiles;

    BuildPasswords(ProfileService profiles) {
        this.profiles = profiles;
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

}
