package dev.routerstudio.lab.web;

import org.springframework.data.jpa.repository.JpaRepository;

interface LabPlacementRepository extends JpaRepository<LabPlacement, String> {
}
