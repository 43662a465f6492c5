/*
 * SubstrateVM's container probe (libsvm_container, HotSpot's cgroup code in GraalVM builds). pgha's image
 * reports "not containerized": the agent's heap is set with -Xmx/-Xmn by its unit or the local cluster, so
 * cgroup-derived defaults are never needed. The other entry points are only called when containerized.
 */
#include <stdint.h>
int svm_container_initialize(int version) { (void)version; return 0; }
uintptr_t svm_container_physical_memory(void) { return 0; }
long svm_container_memory_limit_in_bytes(void) { return -1; }
long svm_container_memory_and_swap_limit_in_bytes(void) { return -1; }
long svm_container_memory_soft_limit_in_bytes(void) { return -1; }
long svm_container_memory_usage_in_bytes(void) { return -1; }
long svm_container_memory_max_usage_in_bytes(void) { return -1; }
long svm_container_rss_usage_in_bytes(void) { return -1; }
long svm_container_cache_usage_in_bytes(void) { return -1; }
int svm_container_active_processor_count(void) { return -1; }
