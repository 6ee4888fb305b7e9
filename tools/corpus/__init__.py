"""A variation corpus of CCHC reports with ground truth, and the fidelity benchmark.

A development tool, not the product's path: ``spec`` builds a report's content (pure
functions of a seeded random generator and the project's seeds), ``writers`` put it
into a file of each format and say where every figure landed, ``truth`` writes the
ground truth, and ``fidelity`` runs the product on the corpus and scores it per axis.
"""
