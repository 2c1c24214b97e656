package dev.routerstudio.profile;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

public interface ProfileRepository extends JpaRepository<Profile, Long> {

    Optional<Profile> findByName(String name);

    boolean existsByName(String name);

    List<Profile> findAllByOrderByNameAsc();
}
