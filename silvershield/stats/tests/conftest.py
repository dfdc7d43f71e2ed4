from silvershield.stats.tests.scenario import county_b_police, scenario

__all__ = ["county_b_police", "scenario"]
