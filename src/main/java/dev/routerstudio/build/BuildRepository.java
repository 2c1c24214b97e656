package dev.routerstudio.build;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

import java.util.List;
import java.util.Optional;

public interface BuildRepository extends JpaRepository<Build, Long> {

    List<Build> findByProfileNameOrderByIdDesc(String profileName);

    List<Build> findByStatusOrderByIdAsc(BuildStatus status);

    @Query("select count(b) from Build b where b.status = dev.routerstudio.build.BuildStatus.QUEUED and b.id < ?1")
    long countQueuedBefore(long id);

    Optional<Build> findFirstBySpecHashAndStatusAndArtifactsBuildIsNotNullOrderByIdDesc(String specHash, BuildStatus status);

    boolean existsByArtifactsBuildAndIdNot(Long artifactsBuild, Long id);

    long countByStatusIn(List<BuildStatus> statuses);

    long countByRequestedByAndStatusIn(String requestedBy, List<BuildStatus> statuses);
}
