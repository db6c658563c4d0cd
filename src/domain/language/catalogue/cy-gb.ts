import type { Catalogue } from '../catalogue-types.js';
import { DESK_CY_GB } from '../desk-cy-gb.js';

export const CY_GB: Catalogue = {
  language: 'cy-GB',
  name: 'Cymraeg',
  espeakVoice: 'cy',
  prompts: {
    'ask-payment-card-number': 'Rhowch rif eich cerdyn, ac yna pwyswch yr allwedd hash.',
    'ask-expiration-date': 'Rhowch y dyddiad dod i ben, dau ddigid ar gyfer y mis a dau ar gyfer y flwyddyn.',
    'ask-security-code': 'Rhowch y cod diogelwch o gefn eich cerdyn.',
    'ask-postal-code': 'Rhowch eich cod post, ac yna pwyswch yr allwedd hash.',
    'error-input-timeout': "Mae'n ddrwg gennym, ni chawsom eich cofnod.",
    'error-invalid-card-number': "Mae'n ddrwg gennym, nid yw rhif y cerdyn yn ddilys.",
    'error-invalid-card-type': "Mae'n ddrwg gennym, ni allwn dderbyn y math hwnnw o gerdyn.",
    'error-invalid-date': "Mae'n ddrwg gennym, nid yw'r dyddiad dod i ben yn ddilys.",
    'error-invalid-security-code': "Mae'n ddrwg gennym, nid yw'r cod diogelwch yn ddilys.",
    'error-invalid-postal-code': "Mae'n ddrwg gennym, nid yw'r cod post yn ddilys.",
    'error-too-many-failed-attempts':
      "Mae'n ddrwg gennym, ni allem gymryd manylion eich cerdyn. Byddwch yn mynd yn ôl at eich asiant.",
    'payment-processing': 'Diolch. Arhoswch tra byddwn yn prosesu eich taliad.',
    'payment-succeeded': 'Diolch. Roedd eich taliad yn llwyddiannus.',
    'payment-declined': "Mae'n ddrwg gennym, gwrthodwyd eich taliad.",
    'payment-failed': "Mae'n ddrwg gennym, ni allem gwblhau eich taliad.",
    'payment-cancelled': "Mae'r taliad wedi'i ganslo.",
  },
  readBack: {
    sentence: (amount) => `Rydych chi'n talu ${amount}. Pwyswch hash i gadarnhau, neu seren i ganslo.`,
    and: 'a',
    currencies: {
      gbp: {
        major: { one: 'un bunt', two: 'dwy bunt', few: 'tair punt', many: 'chwe phunt', other: '# punt' },
        minor: {
          one: 'un geiniog',
          two: 'dwy geiniog',
          few: 'tair ceiniog',
          many: 'chwe cheiniog',
          other: '# ceiniog',
        },
      },
      eur: {
        major: { one: 'un ewro', two: 'dau ewro', few: 'tri ewro', many: 'chwe ewro', other: '# ewro' },
        minor: { one: 'un sent', two: 'dau sent', few: 'tri sent', many: 'chwe sent', other: '# sent' },
      },
      usd: {
        major: {
          one: 'un ddoler',
          two: 'dwy ddoler',
          few: 'tair doler',
          many: 'chwe doler',
          other: '# doler',
        },
        minor: { one: 'un sent', two: 'dau sent', few: 'tri sent', many: 'chwe sent', other: '# sent' },
      },
      brl: { major: { one: 'un real', other: '# real' }, minor: { one: 'un centavo', other: '# centavo' } },
      pln: { major: { one: 'un zloty', other: '# zloty' }, minor: { one: 'un grosz', other: '# grosz' } },
    },
  },
  desk: DESK_CY_GB,
};
