"""OpenCase: one typed graph of ML model lineage."""
