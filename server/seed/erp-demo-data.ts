/** Demo ERP data: Indian states and cities (masters) and a few records from the seed document. */

export const STATES: Array<[name: string, code: string]> = [
  ["Andhra Pradesh", "AP"], ["Assam", "AS"], ["Bihar", "BR"], ["Chandigarh", "CH"], ["Chhattisgarh", "CG"],
  ["Delhi", "DL"], ["Goa", "GA"], ["Gujarat", "GJ"], ["Haryana", "HR"], ["Himachal Pradesh", "HP"],
  ["Jammu and Kashmir", "JK"], ["Jharkhand", "JH"], ["Karnataka", "KA"], ["Kerala", "KL"], ["Madhya Pradesh", "MP"],
  ["Maharashtra", "MH"], ["Odisha", "OD"], ["Puducherry", "PY"], ["Punjab", "PB"], ["Rajasthan", "RJ"],
  ["Tamil Nadu", "TN"], ["Telangana", "TS"], ["Uttar Pradesh", "UP"], ["Uttarakhand", "UK"], ["West Bengal", "WB"],
];

export const CITIES: Array<[name: string, state: string]> = [
  ["Mumbai", "Maharashtra"], ["Pune", "Maharashtra"], ["Nagpur", "Maharashtra"], ["Nashik", "Maharashtra"],
  ["Aurangabad", "Maharashtra"], ["Thane", "Maharashtra"], ["Navi Mumbai", "Maharashtra"], ["Delhi", "Delhi"],
  ["New Delhi", "Delhi"], ["Bengaluru", "Karnataka"], ["Mysuru", "Karnataka"], ["Mangaluru", "Karnataka"],
  ["Hubballi", "Karnataka"], ["Chennai", "Tamil Nadu"], ["Coimbatore", "Tamil Nadu"], ["Madurai", "Tamil Nadu"],
  ["Tiruchirappalli", "Tamil Nadu"], ["Hyderabad", "Telangana"], ["Warangal", "Telangana"], ["Kolkata", "West Bengal"],
  ["Howrah", "West Bengal"], ["Durgapur", "West Bengal"], ["Ahmedabad", "Gujarat"], ["Surat", "Gujarat"],
  ["Vadodara", "Gujarat"], ["Rajkot", "Gujarat"], ["Jaipur", "Rajasthan"], ["Jodhpur", "Rajasthan"],
  ["Udaipur", "Rajasthan"], ["Kota", "Rajasthan"], ["Lucknow", "Uttar Pradesh"], ["Kanpur", "Uttar Pradesh"],
  ["Noida", "Uttar Pradesh"], ["Ghaziabad", "Uttar Pradesh"], ["Agra", "Uttar Pradesh"], ["Varanasi", "Uttar Pradesh"],
  ["Prayagraj", "Uttar Pradesh"], ["Gurugram", "Haryana"], ["Faridabad", "Haryana"], ["Chandigarh", "Chandigarh"],
  ["Ludhiana", "Punjab"], ["Amritsar", "Punjab"], ["Bhopal", "Madhya Pradesh"], ["Indore", "Madhya Pradesh"],
  ["Gwalior", "Madhya Pradesh"], ["Jabalpur", "Madhya Pradesh"], ["Patna", "Bihar"], ["Ranchi", "Jharkhand"],
  ["Jamshedpur", "Jharkhand"], ["Bhubaneswar", "Odisha"], ["Cuttack", "Odisha"], ["Raipur", "Chhattisgarh"],
  ["Guwahati", "Assam"], ["Kochi", "Kerala"], ["Thiruvananthapuram", "Kerala"], ["Kozhikode", "Kerala"],
  ["Visakhapatnam", "Andhra Pradesh"], ["Vijayawada", "Andhra Pradesh"], ["Dehradun", "Uttarakhand"],
  ["Shimla", "Himachal Pradesh"], ["Srinagar", "Jammu and Kashmir"], ["Panaji", "Goa"], ["Puducherry", "Puducherry"],
];

/** Records, in insertion order (Projects: PRJ-101 then PRJ-102, matching their codes). */
export const DEMO_RECORDS: Array<{ entity: string; data: Record<string, unknown>; status?: string }> = [
  { entity: "Customer", data: { Customer_Name: "ABC Infrastructure", GST_No: "27ABCDE1234F1Z5", Email: "accounts@abcinfra.example", City: "Mumbai" } },
  { entity: "Customer", data: { Customer_Name: "Sunrise Realty", GST_No: "29AAACS1234K1Z2", Email: "finance@sunrise.example", City: "Bengaluru" } },
  { entity: "Project", data: { Project_Code: "PRJ-101", Project_Name: "Sunrise Residency", Customer_Name: "Sunrise Realty", City: "Bengaluru" } },
  { entity: "Project", data: { Project_Code: "PRJ-102", Project_Name: "ABC Metro Depot", Customer_Name: "ABC Infrastructure", City: "Mumbai" } },
  { entity: "Vendor", data: { Vendor_Name: "Shree Cement Traders", GST_No: "27AAFCS1234M1Z9", Contact_Person: "Anil Kulkarni", Phone_No: "9822012345", Email: "sales@shreecement.example", City: "Pune" } },
  { entity: "Vendor", data: { Vendor_Name: "Delhi Steel Corporation", GST_No: "07AABCD5678E1Z3", Contact_Person: "Priya Verma", Phone_No: "9811098110", Email: "orders@delhisteel.example", City: "Delhi" } },
  { entity: "Invoice", data: { Invoice_No: "INV/2025/0045", Invoice_Date: "2025-12-12", Total_Amount: 85000, Client_Name: "ABC Infrastructure", Project_Code: "PRJ-102", GST_No: "27ABCDE1234F1Z5" } },
  { entity: "Invoice", data: { Invoice_No: "INV/2025/0046", Invoice_Date: "2025-12-15", Total_Amount: 125000.5, Client_Name: "Sunrise Realty", Project_Code: "PRJ-101", GST_No: "29AAACS1234K1Z2" } },
  { entity: "Lead", data: { Lead_Name: "Kiran Rao", Company: "Rao Builders", Mobile: "9845098450", Email: "kiran@raobuilders.example", City: "Hyderabad", Source: "Website" } },
];
