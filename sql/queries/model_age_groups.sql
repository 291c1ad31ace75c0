-- Purpose: the model's age groups and the share of its broad group each
-- holds nationally (int_reference__age_groups), to split a commune's broad
-- groups.
SELECT age_group, broad_group, share_of_broad_group
FROM int_reference__age_groups
ORDER BY age_order;
