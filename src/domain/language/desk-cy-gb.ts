import type { DeskTexts } from './catalogue-types.js';

/** The agent desk in Welsh. */
export const DESK_CY_GB: DeskTexts = {
  language: 'cy-GB',
  fieldNames: {
    'payment-card-number': 'Rhif y cerdyn',
    'expiration-date': 'Dyddiad dod i ben',
    'security-code': 'Cod diogelwch',
    'postal-code': 'Cod post',
  },
  fieldHints: {
    'payment-card-number': 'Y rhif hir ar flaen y cerdyn',
    'expiration-date': 'Mis a blwyddyn, pedwar digid',
    'security-code': 'Tri neu bedwar digid, ar y cefn fel arfer',
    'postal-code': 'Digidau cod post y cyfeiriad bilio',
  },
  statuses: {
    'in-progress': 'Ar y gweill',
    processing: 'Yn prosesu',
    unknown: 'Yn gwirio',
    succeeded: 'Wedi’i gymeradwyo',
    failed: 'Heb ei gymryd',
    cancelled: 'Wedi’i ganslo',
  },
  problems: {
    'input-timeout': 'Dim digidau ers tro, felly daeth amser y maes i ben. Gofynnwch i’r cwsmer ei roi eto.',
    'invalid-card-number': 'Nid yw rhif y cerdyn yn ddilys. Gofynnwch i’r cwsmer ei wirio a’i roi eto.',
    'invalid-card-type': 'Nid ydym yn derbyn y math hwnnw o gerdyn. Gofynnwch am gerdyn arall.',
    'invalid-date':
      'Nid yw’r dyddiad dod i ben yn ddilys neu mae wedi mynd heibio. Gofynnwch i’r cwsmer ei roi eto.',
    'invalid-security-code': 'Nid yw’r cod diogelwch yn ddilys. Gofynnwch i’r cwsmer ei roi eto.',
    'invalid-postal-code': 'Nid yw’r cod post yn ddilys. Gofynnwch i’r cwsmer ei roi eto.',
    'too-many-failed-attempts': 'Methodd gormod o ymdrechion.',
    'caller-hung-up': 'Mae’r cwsmer wedi rhoi’r ffôn i lawr.',
    'payment-connector-error': 'Nid oedd modd cyrraedd y prosesydd taliadau.',
  },
  outcomes: {
    success: {
      title: 'Taliad wedi’i gymeradwyo',
      text: 'Codwyd tâl ar y cerdyn. Darllenwch y cod cadarnhau i’r cwsmer.',
    },
    declined: {
      title: 'Gwrthodwyd y cerdyn',
      text: 'Gwrthododd y banc y cerdyn. Ni chymerwyd unrhyw arian.',
    },
    'payment-connector-error': {
      title: 'Taliad heb ei gwblhau',
      text: 'Ni chymerodd y prosesydd y taliad. Ni chymerwyd unrhyw arian; gallwch roi cynnig arall arni.',
    },
    'caller-hung-up': {
      title: 'Rhoddodd y cwsmer y ffôn i lawr',
      text: 'Daeth yr alwad i ben cyn cwblhau’r taliad. Ni chymerwyd unrhyw arian.',
    },
    'too-many-failed-attempts': {
      title: 'Taliad heb ei gwblhau',
      text: 'Methodd gormod o ymdrechion. Ni chymerwyd unrhyw arian; gallwch ddechrau eto.',
    },
    cancelled: {
      title: 'Taliad wedi’i ganslo',
      text: 'Cafodd y taliad ei ganslo. Ni chymerwyd unrhyw arian.',
    },
    'internal-error': {
      title: 'Taliad heb ei gwblhau',
      text: 'Aeth rhywbeth o’i le yn y porth. Ni chymerwyd unrhyw arian.',
    },
    unknown: {
      title: 'Yn gwirio gyda’r prosesydd',
      text: 'Ni chadarnhaodd y prosesydd a godwyd tâl ar y cerdyn. Peidiwch â chymryd y taliad eto: mae tonewall yn gofyn i’r prosesydd, a bydd y sgrin hon yn newid pan fydd yn gwybod.',
    },
  },
  roleNames: { agent: 'Asiant', supervisor: 'Goruchwyliwr', auditor: 'Archwilydd', admin: 'Gweinyddwr' },
  readBack: { awaiting: 'Mae’r cwsmer yn clywed y swm: mae # yn cadarnhau’r taliad, mae * yn ei ganslo.' },
  orders: {
    untitled: 'Archeb',
    take: 'Cymryd taliad',
    states: { open: 'Ar agor', paid: 'Wedi’i thalu', expired: 'Wedi dod i ben' },
    takeLabel: 'Cymryd taliad am {what}, {amount}',
    arrived: 'Mae archeb newydd ar yr alwad: {what}, {amount}.',
    refused: {
      GW_ERR_ORDER_STATE: 'Mae’r archeb hon wedi’i thalu neu wedi dod i ben: ni ellir ei chymryd eto.',
      GW_ERR_PAYMENT_ACTIVE: 'Mae taliad eisoes ar y gweill ar yr alwad hon.',
      GW_ERR_NOT_FOUND: 'Nid yw’r archeb hon ar yr alwad mwyach.',
    },
  },
};
