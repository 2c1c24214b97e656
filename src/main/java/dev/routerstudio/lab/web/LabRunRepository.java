package dev.routerstudio.lab.web;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

public interface LabRunRepository extends JpaRepository<LabRun, String> {

    List<LabRun> findTop20ByBuildIdOrderByStartedAtDesc(String buildId);
}
