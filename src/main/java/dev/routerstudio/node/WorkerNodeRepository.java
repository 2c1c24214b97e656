package dev.routerstudio.node;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

public interface WorkerNodeRepository extends JpaRepository<WorkerNode, String> {

    List<WorkerNode> findAllByOrderByNameAsc();
}
