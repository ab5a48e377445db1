import { describe, expect, it } from 'vitest';
import { unitIdFromCustom, unitResourceLink } from '../../../../src/lti/deep-linking/content-items.js';

const unit = { id: '0f8fad5b-d9cb-469f-a165-70867728950e', title: 'Linear equations', description: 'Solve them.', scoreMaximum: 50 };
const options = { launchUrl: 'https://tool.example/lti/launch', lineItem: true, resourceId: `unit:${unit.id}`, tag: 'pathwise' };

describe('unitResourceLink (https://www.imsglobal.org/spec/lti-dl/v2p0/#lti-resource-link)', () => {
  it('builds an ltiResourceLink with the unit custom parameter and a line item', () => {
    expect(unitResourceLink(unit, options)).toEqual({
      type: 'ltiResourceLink',
      title: 'Linear equations',
      text: 'Solve them.',
      url: 'https://tool.example/lti/launch',
      custom: { pathwise_unit_id: unit.id },
      lineItem: { scoreMaximum: 50, label: 'Linear equations', resourceId: `unit:${unit.id}`, tag: 'pathwise' },
    });
  });

  it('leaves out the line item when the platform ignores them, and text when there is none', () => {
    const item = unitResourceLink({ ...unit, description: '' }, { ...options, lineItem: false });
    expect(item.lineItem).toBeUndefined();
    expect('text' in item).toBe(false);
  });

  it('shortens very long titles', () => {
    expect(unitResourceLink({ ...unit, title: 'x'.repeat(400) }, options).title).toHaveLength(255);
  });
});

describe('unitIdFromCustom', () => {
  it('reads a UUID and ignores anything else', () => {
    expect(unitIdFromCustom({ pathwise_unit_id: ` ${unit.id.toUpperCase()} ` })).toBe(unit.id);
    expect(unitIdFromCustom({ pathwise_unit_id: '$Canvas.unit' })).toBeUndefined();
    expect(unitIdFromCustom({ pathwise_unit_id: 42 })).toBeUndefined();
    expect(unitIdFromCustom(null)).toBeUndefined();
  });
});
