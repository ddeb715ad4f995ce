"""1-nearest-neighbour classification accuracy, by batched GEMM (no Python loop over examples).

Queries and references are both taken in blocks (top-1 kept per query block), so the distance
matrix in memory is at most 1024 x 16384 floats (64 MB) whatever the number of references.
"""

import numpy as np


def nearest_neighbor_accuracy(reference_features, reference_labels, query_features, query_labels,
                              metric="euclidean", chunk_size=1024,
                              reference_chunk_size=16384):
    """Fraction of queries whose nearest reference (by `metric`) has the query's label.

    Distances come from one matrix product per chunk of queries:
    ||q - r||^2 = ||q||^2 - 2 q.r + ||r||^2 (the ||q||^2 term does not change the argmin);
    cosine distance is the same on L2-normalised features.
    """
    if metric not in ("euclidean", "cosine"):
        raise ValueError(f"Unknown 1-NN metric {metric!r}; valid metrics: ['cosine', 'euclidean']")
    reference = np.asarray(reference_features, np.float32).reshape(len(reference_features), -1)
    queries = np.asarray(query_features, np.float32).reshape(len(query_features), -1)
    if reference.shape[1] != queries.shape[1]:
        raise ValueError(f"Feature sizes differ: reference {reference.shape[1]}, "
                         f"queries {queries.shape[1]}")
    if metric == "cosine":
        reference = reference / np.maximum(np.linalg.norm(reference, axis=1, keepdims=True), 1e-12)
        queries = queries / np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12)
    reference_sq_norms = np.einsum("ij,ij->i", reference, reference)
    reference_labels = np.asarray(reference_labels)
    query_labels = np.asarray(query_labels)
    correct = 0
    for start in range(0, len(queries), chunk_size):
        block = queries[start:start + chunk_size]
        # argmin_r ||q - r||^2 = argmin_r (||r||^2 - 2 q.r), blocked over references too, so
        # memory is chunk_size x reference_chunk_size whatever the reference set's size.
        best = np.full(len(block), np.inf, np.float32)
        nearest = np.zeros(len(block), np.int64)
        for ref_start in range(0, len(reference), reference_chunk_size):
            ref_block = reference[ref_start:ref_start + reference_chunk_size]
            scores = reference_sq_norms[None, ref_start:ref_start + len(ref_block)] \
                - 2.0 * block @ ref_block.T
            block_best = np.argmin(scores, axis=1)
            block_scores = scores[np.arange(len(block)), block_best]
            closer = block_scores < best    # strict: ties keep the earlier reference
            best[closer] = block_scores[closer]
            nearest[closer] = block_best[closer] + ref_start
        predicted = reference_labels[nearest]
        correct += int(np.sum(predicted == query_labels[start:start + chunk_size]))
    return correct / len(queries)
