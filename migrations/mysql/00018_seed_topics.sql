-- +goose Up
-- The seven competition topics of DOMAIN.md, in every database.
INSERT INTO topics (id, parent_id, code, name, name_en, path, depth, sort_order, created_at, updated_at) VALUES
  (1, NULL, 'network', '全业务网络知识', 'Full-service networking', '/1/', 0, 1, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
  (2, NULL, 'maintenance', '维护流程', 'Maintenance processes', '/2/', 0, 2, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
  (3, NULL, 'project', '项目管理', 'Project management', '/3/', 0, 3, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
  (4, NULL, 'solution', '方案设计', 'Solution design', '/4/', 0, 4, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
  (5, NULL, 'service', '服务标准', 'Service standards', '/5/', 0, 5, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
  (6, NULL, 'communication', '沟通技巧', 'Communication skills', '/6/', 0, 6, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000'),
  (7, NULL, 'cdma', 'C网承接', 'C-network (CDMA) handover', '/7/', 0, 7, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000');

-- +goose Down
DELETE FROM topics WHERE id BETWEEN 1 AND 7 AND parent_id IS NULL;
