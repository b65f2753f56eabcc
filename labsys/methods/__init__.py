"""The test methods the lab offers: the catalog customers book from."""
