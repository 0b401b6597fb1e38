package dev.dilxc.daemon.jobs;

import dev.dilxc.api.JobView;

/**
 * Published (as a Spring application event) once a job has reached its terminal state and
 * its sandbox has been restored per policy; listeners must not block the worker (hand
 * work to their own thread).
 */
public record JobFinished(JobView job) {
}
